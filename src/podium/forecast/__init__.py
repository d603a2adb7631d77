"""Monte Carlo forecast of a program: finish and cost distributions, criticality,
sensitivity and what drives the P80 (engine: :mod:`podium.engine.montecarlo`)."""
