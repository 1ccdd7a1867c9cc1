# The two commands a new machine needs: `make site` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DATA   ?= data
SITE   ?= site
# Where make forms writes each quarter's forms (one folder per quarter inside it).
FORMS_DIR ?= forms
# The tests run in this many processes, a test file each at a time (pytest-xdist); 0: in make's own.
PYTEST_JOBS ?= 2
export NO_MKDOCS_2_WARNING := 1

.PHONY: site check serve test lock clean help new-quarter forms import lighthouse bench publish rollback review
.DEFAULT_GOAL := help

help:
	@echo "make site   建立环境并生成网站到 $(SITE)/（可选 DATA=数据目录 SITE=输出目录）"
	@echo "make check  只检查数据"
	@echo "make serve  本地预览 http://127.0.0.1:8000 ，修改 data/ 或 docs/ 后自动刷新"
	@echo "make test   建立测试环境（含 Chromium、LibreOffice、Gnumeric）并运行全部测试"
	@echo "make new-quarter Q=2016-Q1  从最新一期生成下一季度的进展文件"
	@echo "make review DEST=/srv/www/plan  对照线上版本列出读者将看到的变化，生成审签单（Word 和文本，REVIEW=文件 另指位置）"
	@echo "make publish DEST=/srv/www/plan  检查并发布 $(SITE)/ 为新版本（DEST/current 指向线上版本；APPROVER=\"签发人\" REVIEW=审签单）"
	@echo "make rollback DEST=/srv/www/plan  回退到上一个版本（APPROVER=\"批准人\" 可选）"
	@echo "make forms Q=2016-Q1  生成各单位的季度报表到 forms/2016-Q1/"
	@echo "make import Q=2016-Q1 FORMS=文件夹  检查交回的报表并写入 data/progress/2016-Q1.yaml（IMPORT_ARGS=--require-all：缺报即报错）"
	@echo "make bench  测量构建耗时（写入 BENCHMARKS.md：make bench BENCH_ARGS=--write）"

# A project-local environment with the pinned, hash-checked packages; rebuilt when the lock changes.
$(VENV)/.site-installed: requirements/site.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/site.txt
	# Make this checkout's plansite package importable from the venv (MkDocs loads its hook).
	echo "$(CURDIR)" > "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/plansite-src.pth"
	touch $@

$(VENV)/.test-installed: $(VENV)/.site-installed requirements/test.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/test.txt
	touch $@

site: $(VENV)/.site-installed
	scripts/ensure_fonts.sh
	$(BIN)/python -m plansite build --data "$(DATA)" --site "$(SITE)"

check: $(VENV)/.site-installed
	$(BIN)/python -m plansite check --data "$(DATA)"

new-quarter: $(VENV)/.site-installed
	@test -n "$(Q)" || { echo "请指定报告期，如 make new-quarter Q=2016-Q1"; exit 2; }
	$(BIN)/python -m plansite new-quarter --data "$(DATA)" --period "$(Q)"

# Quarterly report forms: one workbook per reporting unit out, the returned ones checked and imported.
forms: $(VENV)/.site-installed
	@test -n "$(Q)" || { echo "请指定报告期，如 make forms Q=2016-Q1"; exit 2; }
	$(BIN)/python -m plansite forms --data "$(DATA)" --period "$(Q)" --out "$(FORMS_DIR)/$(Q)"

import: $(VENV)/.site-installed
	@test -n "$(Q)" -a -n "$(FORMS)" || { echo "请指定报告期和报表文件夹，如 make import Q=2016-Q1 FORMS=交回的报表"; exit 2; }
	$(BIN)/python -m plansite import --data "$(DATA)" --period "$(Q)" --forms "$(FORMS)" $(IMPORT_ARGS)

# SERVE_PORT: another port (the tests start it on a free one).
SERVE_PORT ?= 8000
serve: $(VENV)/.site-installed
	scripts/ensure_fonts.sh
	SITE_URL=http://127.0.0.1:$(SERVE_PORT)/ PLAN_DATA="$(abspath $(DATA))" $(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(SERVE_PORT) --livereload

# axe-core for the accessibility tests, from the npm registry, pinned with hashes in package-lock.json;
# reinstalled when the lock changes. (Lighthouse, a devDependency, is installed by make lighthouse.)
node_modules/.installed: package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	touch $@

test: $(VENV)/.test-installed node_modules/.installed
	scripts/ensure_chromium.sh
	scripts/ensure_nginx.sh
	scripts/ensure_libreoffice.sh
	scripts/ensure_gnumeric.sh
	scripts/ensure_speech.sh
	scripts/ensure_fonts.sh
	$(BIN)/python -m pytest -n $(PYTEST_JOBS) --dist loadfile $(PYTEST_ARGS)

# Atomic releases on this machine: copy $(SITE)/ into DEST/releases/<time>, check it (sitemap pages,
# internal links, the CSP of deploy/nginx.conf), switch DEST/current in one step, keep five. Each
# publish and rollback is recorded in DEST/.release-log.jsonl with APPROVER and the 审签单 (REVIEW)
# it was approved on; mkdocs.yml's extra.gov.require_approval: true makes both obligatory.
# APPROVER reaches the command through the environment, so any name is passed as typed.
export APPROVER
publish: $(VENV)/.site-installed
	@test -n "$(DEST)" || { echo "请指定发布目录，如 make publish DEST=/srv/www/plan"; exit 2; }
	$(BIN)/python -m plansite.publish publish --site "$(SITE)" --dest "$(DEST)" --approver "$$APPROVER" $(if $(REVIEW),--review "$(REVIEW)")

rollback: $(VENV)/.site-installed
	@test -n "$(DEST)" || { echo "请指定发布目录，如 make rollback DEST=/srv/www/plan"; exit 2; }
	$(BIN)/python -m plansite.publish rollback --dest "$(DEST)" --approver "$$APPROVER"

# The 审签单: what readers will see change when $(SITE)/ replaces the live release in DEST, as a Word
# file for the approving official and a text file beside it (审签单/审签单-<fingerprint>.docx, or REVIEW=).
review: $(VENV)/.site-installed
	@test -n "$(DEST)" || { echo "请指定发布目录，如 make review DEST=/srv/www/plan"; exit 2; }
	$(BIN)/python -m plansite.publish review --site "$(SITE)" --dest "$(DEST)" $(if $(REVIEW),--out "$(REVIEW)")

# Lighthouse scores of every page type, three runs each (about a quarter of an hour; not part of
# make test). Exits 1 if the median performance is below 95 or any other score below 100. The JSON
# reports are kept in .cache/lighthouse/, where make bench reads them.
lighthouse: $(VENV)/.site-installed
	scripts/ensure_chromium.sh
	$(BIN)/python scripts/lighthouse.py --runs 3 --reports .cache/lighthouse $(LIGHTHOUSE_ARGS)

# The issue's table on this machine (not a test): page weights over the wire (nginx, Chromium), cold
# and no-op builds against plain Material, Lighthouse (from make lighthouse's reports), stages, growth.
bench: $(VENV)/.test-installed
	scripts/ensure_fonts.sh
	scripts/ensure_chromium.sh
	scripts/ensure_nginx.sh
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# Refresh the lock files after editing requirements/*.in (needs the registry).
lock:
	$(PYTHON) -m venv /tmp/plansite-lock && /tmp/plansite-lock/bin/pip install --quiet pip-tools
	cd requirements && for f in site test; do \
	  /tmp/plansite-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	    --no-emit-index-url --no-emit-find-links -o $$f.txt $$f.in; done

# Like the build, clean removes the site folder only if a build made it (it holds the stamp), never a
# link (SITE=DEST/current: the live site would go) nor a published release (it holds the stamp too).
clean:
	@up="$$(dirname "$$(realpath -m "$(SITE)")")"; \
	if [ -L "$(SITE)" ]; then echo "$(SITE) 是一个链接（指向 $$(readlink "$(SITE)")），未删除"; \
	elif [ -f "$(SITE)/.plansite-release" ] || { [ "$$(basename "$$up")" = releases ] && [ -L "$$up/../current" ]; }; then \
	  echo "$(SITE) 是 make publish 发布的版本，未删除（发布的版本只由 make publish 保留五个、自动清理）"; \
	elif [ -f "$(SITE)/.plansite-build" ]; then rm -rf "$(SITE)"; \
	elif [ -e "$(SITE)" ]; then echo "$(SITE) 不是 make site 生成的（没有 .plansite-build），未删除"; fi
	rm -rf .pytest_cache .cache
