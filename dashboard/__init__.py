"""The editors' dashboard on the admin home: what needs doing today, in panels apps contribute."""
