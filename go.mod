module toyvm

go 1.26.0

require (
	github.com/alecthomas/kong v1.17.0
	github.com/fatih/color v1.19.0
	github.com/google/go-dap v0.12.0
	github.com/mattn/go-isatty v0.0.20
	github.com/peterh/liner v1.2.3
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/clipperhouse/uax29/v2 v2.7.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-runewidth v0.0.31 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.48.0 // indirect
)
