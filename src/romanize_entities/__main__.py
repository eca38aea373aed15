"""`python -m romanize_entities ...` is the `romanize-entities` command."""

from romanize_entities.cli import main

if __name__ == "__main__":
    main()
