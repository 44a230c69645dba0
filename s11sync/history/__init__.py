"""history.json and everything that reads or plans it, in one package.

    fetch_params   what the three-year history fetch asks for: date windows and field projections
                   (data only; the fetcher executes it)
    build          build_history(...) -> the history.json document (frame, data_range, gaps,
                   ftp_timeline, summaries)
    tiers          its rows: daily_90d, weekly_180d, monthly_1y/2y/3y
    due            when it is rebuilt (at most once per athlete-local day) and latest.json's
                   `history` block (how old the kept file is)
    year_to_date   the year-to-date base stored in history.json and latest.json → year_to_date

Pure: no I/O and no clock (today and now are passed in). The fetcher (s11sync.fetch) decides with
these rules whether history.json is due and runs the fetch; the caller writes the file.
"""
