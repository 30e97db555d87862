#!/bin/sh
# escape: see a secret from omk's own environment in the child's environment
# control: none (the environment is scrubbed in every profile)
. ./case.env
if env | grep -q -e "$SECRET" -e AWS_SECRET_ACCESS_KEY -e OMK_ORIGINAL_HOME; then echo ESCAPED; else echo BLOCKED; fi
