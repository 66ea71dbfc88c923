"""`plivo-connector new-operation`: start a new operation file that already builds."""
