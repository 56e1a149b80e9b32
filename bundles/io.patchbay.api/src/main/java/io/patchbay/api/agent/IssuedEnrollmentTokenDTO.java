package io.patchbay.api.agent;

/** An enrollment token just created, with its secret: the only time the secret is shown. */
public class IssuedEnrollmentTokenDTO extends EnrollmentTokenDTO {
    /** What the agent is started with ({@code --token}). */
    public String secret;
}
