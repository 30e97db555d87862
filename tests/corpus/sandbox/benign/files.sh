#!/bin/sh
# benign: create, move (across directories), link, chmod and delete files and directories
set -eu
cd ..
mkdir -p tree/a/b/c tree/d
echo data > tree/a/b/c/file
mv tree/a/b/c/file tree/d/file
ln -s ../d/file tree/a/link
ln tree/d/file tree/d/hard
chmod 600 tree/d/file
cat tree/a/link | grep -q data
truncate -s 0 tree/d/hard
rm -rf tree
[ ! -e tree ]
