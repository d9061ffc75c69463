package kernel

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/image"
)

func TestAReadOnlyRootIsReadButNeverWritten(t *testing.T) {
	cfg, dir := fileConfig(t)
	cfg.RootReadOnly = true
	putFile(t, dir, "in.txt", "keep me")
	out, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#1"),
		call(SysOpen, "#in", "#2"),
		call(SysOpen, "#out", "#1"),
		call(SysOpen, "#in", "#0"),
		call(SysRead, "res3", "#buf", "#100"),
		call(SysWrite, "#1", "#buf", "res4"),
	}, fileData)
	assert.Equal(t, []int32{EACCES, EACCES, EACCES, 3, 7, 7}, res)
	assert.Equal(t, "keep me", out)
	assert.NoFileExists(t, filepath.Join(dir, "out.txt"))
	got, err := os.ReadFile(filepath.Join(dir, "in.txt"))
	require.NoError(t, err)
	assert.Equal(t, "keep me", string(got), "not truncated")
}

func TestTheFileQuotaCutsAWriteShortThenRefusesWithEDQUOT(t *testing.T) {
	cfg, dir := fileConfig(t)
	cfg.FileQuota = FileQuota{Bytes: 10, Files: 5}
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#out", "#1"),
		call(SysWrite, "res0", "#buf", "#6"),
		call(SysWrite, "res0", "#buf", "#6"),
		call(SysWrite, "res0", "#buf", "#6"),
		call(SysWrite, "#1", "#buf", "#0"),
	}, fileData)
	assert.Equal(t, []int32{3, 6, 4, EDQUOT, 0}, res)
	got, err := os.ReadFile(filepath.Join(dir, "out.txt"))
	require.NoError(t, err)
	assert.Len(t, got, 10)
}

func TestTheFileQuotaCountsFilesCreatedNotFilesOpened(t *testing.T) {
	cfg, dir := fileConfig(t)
	cfg.FileQuota = FileQuota{Bytes: 10, Files: 1}
	putFile(t, dir, "in.txt", "there")
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#out", "#1"), // creates: the one file allowed
		call(SysOpen, "#in", "#2"),  // exists
		call(SysOpen, "#out", "#2"), // exists now
		call(SysOpen, "#dir", "#1"), // would create a second
	}, fileData)
	assert.Equal(t, []int32{3, 4, 5, EDQUOT}, res)
	assert.NoFileExists(t, filepath.Join(dir, "sub"))
}

func TestParseFileQuotaReadsASizeAndACountOfFiles(t *testing.T) {
	q, err := ParseFileQuota("1M,7")
	require.NoError(t, err)
	assert.Equal(t, FileQuota{Bytes: 1 << 20, Files: 7}, q)
	q, err = ParseFileQuota("0")
	require.NoError(t, err)
	assert.Equal(t, FileQuota{Bytes: 0, Files: DefaultFileQuota.Files}, q)
	assert.Equal(t, "64M,256", DefaultFileQuota.String())
	for _, bad := range []string{"", "lots", "1M,", "1M,-1", "1M,x", "1M,2,3"} {
		_, err := ParseFileQuota(bad)
		assert.Error(t, err, bad)
	}
}

func TestAFIFOOrALinkInTheRootIsRefusedWithoutBlocking(t *testing.T) {
	cfg, dir := fileConfig(t)
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "in.txt"), 0o644))
	putFile(t, dir, "real.txt", "real")
	require.NoError(t, os.Symlink("real.txt", filepath.Join(dir, "link")))
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#0"),
		call(SysOpen, "#in", "#1"),
		call(SysOpen, "#in", "#2"),
		call(SysOpen, "#link", "#0"),
	}, fileData)
	assert.Equal(t, []int32{EINVAL, EINVAL, EINVAL, EINVAL}, res)
}

func TestSpawnOfAFIFOIsRefusedWithoutBlocking(t *testing.T) {
	cfg, dir := fileConfig(t)
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "in.txt"), 0o644))
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "p.s"), 0o644))
	_, res := runScript(t, cfg, []step{
		call(SysSpawn, "#in", "#0"),
		call(SysSpawn, "#prog", "#0"),
	}, fileData+"prog:   .asciz  \"p.s\"\n")
	assert.Equal(t, []int32{EINVAL, EINVAL}, res)
}

func TestAProgramSpawnedAgainUnchangedIsNotAssembledAgain(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "p.s", exitProgram)
	assembled := 0
	cfg.Assembler = func(fsys fs.FS, name string) (*image.Image, error) {
		assembled++
		return asm.AssembleFS(fsys, name)
	}
	k, _, _ := newKernel(t, cfg)
	first, err := k.loadProgram("p.s")
	require.NoError(t, err)
	again, err := k.loadProgram("./p.s")
	require.NoError(t, err)
	assert.Same(t, first, again)
	assert.Equal(t, 1, assembled)
	putFile(t, dir, "p.s", exitProgram+"\tnop\n")
	changed, err := k.loadProgram("p.s")
	require.NoError(t, err)
	assert.NotSame(t, first, changed, "a changed source is assembled again")
	assert.Equal(t, 2, assembled)
}

func TestAProgramWhoseIncludedFileChangedIsAssembledAgain(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "p.s", ".include \"lib.s\"\n")
	putFile(t, dir, "lib.s", exitProgram)
	k, _, _ := newKernel(t, cfg)
	first, err := k.loadProgram("p.s")
	require.NoError(t, err)
	again, err := k.loadProgram("p.s")
	require.NoError(t, err)
	assert.Same(t, first, again)
	putFile(t, dir, "lib.s", exitProgram+"\tnop\n")
	changed, err := k.loadProgram("p.s")
	require.NoError(t, err)
	assert.NotSame(t, first, changed)
	assert.Greater(t, changed.Segments[0].Size, first.Segments[0].Size)
}
