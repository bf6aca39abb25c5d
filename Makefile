.PHONY: test lint bench brief

test:
	python -m pytest -q

lint:
	ruff check briefing tests bench tools
	mypy briefing

bench:
	python bench/text.py
	python bench/analyse.py
	python bench/render.py
	python bench/quality.py --split held
	python bench/issues_eval.py
	python bench/cluster_eval.py
	python bench/verbatim.py

brief:
	brief build --date today
