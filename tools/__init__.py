"""Development tools that live beside sitegen: the synthetic district (synth) and the demo generator (demo/)."""
