package io.patchbay.api.dto;

import java.util.List;

/** One page of a list, and the cursor of the next page (null on the last). */
public class PageDTO<T> {
    public List<T> items;
    public String next;
}
