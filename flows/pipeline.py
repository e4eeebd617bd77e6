"""The Prefect flow definitions of this project, where `prefect.yaml` points its
deployments (`flows/pipeline.py:clean_news`). The flows live in the installed package
(`newsclean.pipeline`), so a team's own Prefect project can import them as subflows
without this folder; this file only names them here."""

from newsclean.pipeline import clean_news, rerun_stage

__all__ = ["clean_news", "rerun_stage"]
