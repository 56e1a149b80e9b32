package io.patchbay.run.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * The stack trace of a logged exception, one frame a line as {@code %ex} writes it, with CR and LF in the exception
 * messages written as {@code \r} and {@code \n} and other control characters as {@code ?}: a message (often from
 * input) cannot forge a log line. Loaded by logback-classic, whose fragment this bundle is.
 */
public class EscapedThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        return super.throwableProxyToString(new Escaped(throwable));
    }

    /** One line: CR and LF as {@code \r} and {@code \n}, other control characters but tab as {@code ?}. */
    static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                out.append("\\r");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c != '\t' && (Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
                out.append('?');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The exception as logback recorded it, with its texts escaped; causes and suppressed ones too. */
    private record Escaped(IThrowableProxy recorded) implements IThrowableProxy {
        @Override
        public String getMessage() {
            return escape(recorded.getMessage());
        }

        @Override
        public String getOverridingMessage() {
            return escape(recorded.getOverridingMessage());
        }

        @Override
        public String getClassName() {
            return escape(recorded.getClassName());
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return recorded.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return recorded.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            IThrowableProxy cause = recorded.getCause();
            return cause == null ? null : new Escaped(cause);
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = recorded.getSuppressed();
            if (suppressed == null) {
                return null;
            }
            IThrowableProxy[] escaped = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < suppressed.length; i++) {
                escaped[i] = new Escaped(suppressed[i]);
            }
            return escaped;
        }

        @Override
        public boolean isCyclic() {
            return recorded.isCyclic();
        }
    }
}
