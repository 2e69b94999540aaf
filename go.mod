module github.com/nasplay/nasplay

go 1.26
