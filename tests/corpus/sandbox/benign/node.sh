#!/bin/sh
# benign: a Node.js script writing in the workspace and its temp dir
set -eu
cd ..
node -e '
const fs = require("fs"), os = require("os"), path = require("path");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "n-"));
fs.writeFileSync(path.join(tmp, "x"), "y");
fs.rmSync(tmp, { recursive: true });
fs.writeFileSync("from-node.txt", "written\n");
'
grep -q written from-node.txt
