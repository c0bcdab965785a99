"""``python -m kg`` is the ``kg`` command."""

from .cli import main_entry

main_entry()
