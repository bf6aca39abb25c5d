from briefing.cli import main

if __name__ == "__main__":  # spawned analysis workers import this module too: they must not run the CLI
    main()
