"""Tools > Lists: the editor of drop-down lists."""
