"""Tools around the pipeline: `proof`, `diff`, `watch` and `scaffold` (`booklet new`)."""
