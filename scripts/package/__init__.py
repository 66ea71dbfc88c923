"""`plivo-connector package`: turn the rendered files into what paconn, pac and ARM deploy."""
