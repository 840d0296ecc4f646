# make install [PREFIX=/usr/local] [DESTDIR=]: builds the release (npm run release) and
# installs it the way the distribution packages do (packaging/install.sh).
PREFIX ?= /usr/local
STAGE := release/stage/rc-supervise

.PHONY: install release
install: $(STAGE)/package.json
	sh packaging/install.sh "$(STAGE)" "$(DESTDIR)$(PREFIX)"

release $(STAGE)/package.json:
	npm run release
