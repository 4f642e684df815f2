"""rules/ as data: YAML loaded with line numbers, validated file models, the rulebook (tags, trial authorities, forsøksloven's conditions), the built-in structure and inference patterns."""
