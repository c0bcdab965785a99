"""reform-kg: Chinese government reform documents -> an evidenced RDF knowledge graph."""

__version__ = "0.1.0"
