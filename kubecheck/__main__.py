from kubecheck.cli import main

main()
