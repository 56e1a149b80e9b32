package io.patchbay.api.dto;

import java.util.List;

/**
 * When a policy runs: on days of the week, or monthly on the Nth weekday (e.g. the second Tuesday) plus an offset in
 * days, at a time of day in each device's local time or in UTC, with a maintenance window.
 */
public class ScheduleDTO {
    /** {@code weekly} or {@code monthly}. */
    public String frequency;
    /** weekly: {@code MONDAY} .. {@code SUNDAY}. */
    public List<String> daysOfWeek;
    /** monthly: {@code 1} .. {@code 4}, or {@code -1} for the last. */
    public Integer weekOfMonth;
    /** monthly: the weekday, e.g. {@code TUESDAY}. */
    public String dayOfWeek;
    /** monthly: days after that weekday, e.g. 7 for a week after Patch Tuesday. */
    public int offsetDays;
    /** {@code HH:mm}. */
    public String time;
    /** {@code device} (each device's own time zone) or {@code UTC}. */
    public String timeZone = "device";
    /** Length of the maintenance window in minutes. */
    public int windowMinutes = 120;
}
