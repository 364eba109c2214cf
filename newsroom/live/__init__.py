"""Live updates over Server-Sent Events, shared by the apps that stream news."""
