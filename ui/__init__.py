"""User interfaces: the `yiju` CLI and the Gradio app."""
