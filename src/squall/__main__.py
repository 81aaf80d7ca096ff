"""``python -m squall`` runs the command line."""

from squall.cli.entry import main

if __name__ == "__main__":
    main()
