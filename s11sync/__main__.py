from s11sync.cli import main

raise SystemExit(main())
