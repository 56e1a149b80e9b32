package io.patchbay.api.security;

/** A credential just issued, with its secret: the only time the secret is shown. */
public class IssuedCredentialDTO extends CredentialDTO {
    public String secret;
}
