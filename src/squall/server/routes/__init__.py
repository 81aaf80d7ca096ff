"""The API's routes, one module per noun; every router requires the token."""
