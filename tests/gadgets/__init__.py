"""A content type that exists only in the tests: proof that one declaration wires a type in."""
