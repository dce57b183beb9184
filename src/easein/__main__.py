from easein.cli.main import main

main()
