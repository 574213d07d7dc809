"""The run side of the engine: resolutions, the execution cycle and the builtin actions."""
