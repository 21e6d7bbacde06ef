"""Run hfs-chat as ``python -m chatbot``."""

from .cli import main

raise SystemExit(main())
