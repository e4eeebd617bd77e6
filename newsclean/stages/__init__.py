"""Pure cleaning stages: values in, values out.

No Prefect, no pyarrow, no file access, no clock, no global configuration here.
Each stage module exposes one `<stage>_shard(shard, settings) -> Shard` function,
listed in pipeline order in `newsclean.stages.registry.STAGES`.
"""
