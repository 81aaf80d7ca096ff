"""The data plane: plans, topologies, providers, controller, agent, tools, aggregation."""
