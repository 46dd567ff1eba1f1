"""The 党务公开 web site: pages from the scored model, through the theme's templates."""
