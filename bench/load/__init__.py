"""Load benchmark: the dashboard API and program page of a 50-component, 20,000-activity
program under 16 concurrent connections (see README.md)."""
