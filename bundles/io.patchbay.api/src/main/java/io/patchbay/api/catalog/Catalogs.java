package io.patchbay.api.catalog;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The catalogs present in the server, offered by the catalog source. */
@ProviderType
public interface Catalogs {
    List<CatalogDTO> catalogs();
}
