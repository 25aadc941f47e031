"""The built-in identity service: passwords, Fernet keys and tokens, authentication, the
catalog and bootstrap. The API over it is nova/api/identity/."""
