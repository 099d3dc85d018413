"""What the blueprints share: access decorators, forms, labels, landing pages."""
