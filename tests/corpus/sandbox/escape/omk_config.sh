#!/bin/sh
# escape: rewrite omk's own config (.omk/config.toml), by writing, replacing or moving it
# control: escapes
cd ..
echo 'pwned = true' >> .omk/config.toml 2>/dev/null
grep -q pwned .omk/config.toml || { rm -f .omk/config.toml 2>/dev/null; echo pwned > .omk/config.toml 2>/dev/null; }
grep -q pwned .omk/config.toml || { mv .omk .omk.old 2>/dev/null && mkdir .omk && echo pwned > .omk/config.toml; }
if grep -q pwned .omk/config.toml 2>/dev/null; then echo ESCAPED; else echo BLOCKED; fi
