#!/bin/sh
# escape: mount a filesystem, directly or from a nested user namespace
# control: none (as root this would really mount)
mkdir -p ../mnt
mounted=no
mount -t tmpfs none ../mnt 2>/dev/null && mounted=yes
unshare -r -m sh -c 'mount -t tmpfs none ../mnt' 2>/dev/null && mounted=yes
if [ $mounted = yes ]; then echo ESCAPED; else echo BLOCKED; fi
