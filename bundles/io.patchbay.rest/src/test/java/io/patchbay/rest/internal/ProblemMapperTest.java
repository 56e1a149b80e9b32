package io.patchbay.rest.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;

import org.junit.jupiter.api.Test;

class ProblemMapperTest {
    @Test
    void aClientThatLeftMidRequestIsNotAServerFault() {
        assertTrue(ProblemMapper.clientGone(new IOException(new EOFException("Early EOF"))));
        assertTrue(ProblemMapper.clientGone(new RuntimeException(new IOException("Early EOF"))));
        assertFalse(ProblemMapper.clientGone(new IllegalStateException("broken")));
        assertFalse(ProblemMapper.clientGone(new IOException("No space left on device")));
    }

    @Test
    void parserAdviceAboutItsSettingsIsLeftOut() {
        String plain = ProblemMapper.plain("Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS`"
                + " to allow");
        assertTrue(plain.contains("NaN"), plain);
        assertFalse(plain.contains("Feature") || plain.contains("enable"), plain);
    }
}
