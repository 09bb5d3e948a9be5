"""The offline demo: sample feeds written for this project, served on 127.0.0.1."""
