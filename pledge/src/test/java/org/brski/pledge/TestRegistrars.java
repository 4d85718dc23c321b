package org.brski.pledge;

import org.brski.pki.TestPki;

/** Lets tests in other packages start the in-process registrar. */
public final class TestRegistrars {
    private TestRegistrars() {
    }

    /** Starts a registrar for {@code pki}; the caller closes it. */
    public static AutoCloseable start(TestPki pki, java.util.function.Consumer<java.net.URI> uri) throws Exception {
        FakeRegistrar registrar = FakeRegistrar.start(pki);
        uri.accept(registrar.uri());
        return registrar;
    }

    /** Starts a registrar whose vouchers pin another domain (the pledge must refuse it). */
    public static AutoCloseable startMispinned(TestPki pki, TestPki other, java.util.function.Consumer<java.net.URI> uri)
            throws Exception {
        FakeRegistrar registrar = FakeRegistrar.start(pki);
        registrar.pin = other.domainCa().certificate();
        uri.accept(registrar.uri());
        return registrar;
    }
}
