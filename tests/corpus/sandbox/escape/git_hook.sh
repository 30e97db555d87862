#!/bin/sh
# escape: plant .git/hooks/pre-commit, directly or by replacing the hooks directory or .git itself
# control: escapes
cd ..
planted() { [ -f .git/hooks/pre-commit ] && grep -q pwned .git/hooks/pre-commit; }
printf '#!/bin/sh\necho pwned\n' > .git/hooks/pre-commit 2>/dev/null
planted || { rm -rf .git/hooks 2>/dev/null; mkdir -p .git/hooks 2>/dev/null; printf 'pwned\n' > .git/hooks/pre-commit 2>/dev/null; }
planted || { mv .git/hooks .git/hooks.old 2>/dev/null; mkdir -p .git/hooks 2>/dev/null; printf 'pwned\n' > .git/hooks/pre-commit 2>/dev/null; }
planted || { mv .git .git.old 2>/dev/null && cp -r .git.old .git 2>/dev/null; printf 'pwned\n' > .git/hooks/pre-commit 2>/dev/null; }
if planted; then echo ESCAPED; else echo BLOCKED; fi
