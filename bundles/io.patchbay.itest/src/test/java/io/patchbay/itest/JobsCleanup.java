package io.patchbay.itest;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

import io.patchbay.api.Jobs;

/** Cancels whatever jobs a test left waiting, so the next test starts with a free device. */
public class JobsCleanup implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext extension) {
        BundleContext context = FrameworkUtil.getBundle(JobsCleanup.class).getBundleContext();
        ServiceReference<Jobs> ref = context.getServiceReference(Jobs.class);
        if (ref == null) {
            return;
        }
        Jobs jobs = context.getService(ref);
        try {
            jobs.list().stream().filter(j -> !j.state.isFinal()).forEach(j -> jobs.cancel(j.id, "test over"));
        } finally {
            context.ungetService(ref);
        }
    }
}
