"""Saved web pages built for measuring main-text extraction, with their true main text.

Each page wraps real paragraphs in the chrome a saved page carries: a cookie banner,
header and navigation, breadcrumbs, share buttons, a sidebar of related links, a
comment form, a footer, inline scripts and styles. `main` is the text a reader
must keep, `boilerplate` the visible strings it must drop.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Page:
    name: str
    html: str
    main: list[str]
    boilerplate: list[str]


def _paragraphs(seed: str) -> list[str]:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    return [" ".join(block.split()) for block in BLANK_LINES.split(text) if block.strip()]


def _chrome(lang: str, title: str, body: str, boilerplate: dict[str, str]) -> str:
    """A whole page: the article body inside everything a CMS puts around it."""
    nav = "".join(
        f'<li><a href="/{i}">{html.escape(item)}</a></li>'
        for i, item in enumerate(boilerplate["nav"].split("|"))
    )
    related = "".join(
        f'<li><a href="/r{i}">{html.escape(item)}</a></li>'
        for i, item in enumerate(boilerplate["related"].split("|"))
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body {{ font-family: sans-serif }} .cookie {{ position: fixed; bottom: 0 }}</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}
gtag('js', new Date()); gtag('config', 'UA-000000-1');</script>
</head><body>
<div class="cookie-banner" id="cookie"><p>{html.escape(boilerplate["cookie"])}</p>
<button>Accept</button></div>
<header class="site-header"><div class="logo">{html.escape(boilerplate["site"])}</div>
<nav class="menu"><ul>{nav}</ul></nav></header>
<div class="breadcrumbs"><a href="/">{html.escape(boilerplate["crumbs"])}</a></div>
<main><article class="post">
<h1>{html.escape(title)}</h1>
<div class="byline">{html.escape(boilerplate["byline"])}</div>
{body}
<div class="share">{html.escape(boilerplate["share"])}</div>
</article>
<aside class="sidebar"><h3>{html.escape(boilerplate["related_title"])}</h3><ul>{related}</ul>
</aside></main>
<section class="comments"><h3>{html.escape(boilerplate["comments"])}</h3>
<form><textarea></textarea><button>Post</button></form></section>
<footer class="site-footer"><p>{html.escape(boilerplate["footer"])}</p></footer>
<script src="/static/app.js"></script>
<script>document.getElementById('cookie').onclick = function () {{ this.remove(); }};</script>
</body></html>
"""


def _body(paragraphs: list[str], headings: set[int]) -> str:
    return "\n".join(
        f"<h2>{html.escape(text)}</h2>" if number in headings else f"<p>{html.escape(text)}</p>"
        for number, text in enumerate(paragraphs)
    )


_ENGLISH_CHROME = {
    "cookie": "We use cookies to improve your experience on our website. By continuing to browse "
    "you agree to our use of cookies.",
    "site": "IP PEOPLE Magazine",
    "nav": "Home|Interviews|Patents|Trademarks|Events|Subscribe|About us",
    "crumbs": "Home › Interviews › Technology",
    "byline": "By the editorial team · 12 May 2022 · 8 min read",
    "share": "Share this article: Facebook Twitter LinkedIn WeChat Email",
    "related_title": "Related articles",
    "related": "Patent trends in Chinese AI companies|How to protect software in China|"
    "Trademark squatting: what brands can do|The new Copyright Law explained",
    "comments": "Leave a comment",
    "footer": "© 2022 IP PEOPLE. All rights reserved. Privacy policy | Terms of use | Contact",
}

_CHINESE_NEWS = [
    (
        "本报讯（记者 李明）11月28日，市政府新闻办公室召开新闻发布会，"
        "介绍今年以来全市科技创新工作进展情况。"
    ),
    (
        "据介绍，今年前十个月，全市高新技术企业数量达到一万二千余家，同比增长百分之十八。"
        "研发经费投入占地区生产总值的比重预计将超过百分之四。"
    ),
    (
        "市科技局负责人表示，下一步将继续加大对基础研究的支持力度，完善科技成果转化机制，"
        "推动更多创新成果在本地落地。"
    ),
    (
        "在人才引进方面，全市今年新引进高层次人才三千余人，其中青年科学家占比超过六成。"
        "多家企业与高校共建联合实验室，在人工智能、集成电路和生物医药等领域取得突破。"
    ),
    (
        "发布会上还公布了新一轮科技计划项目的申报安排。申报工作将于十二月初启动，"
        "重点支持关键核心技术攻关和中小企业创新。"
    ),
    (
        "业内专家认为，持续稳定的政策环境是科技企业快速成长的重要保障。"
        "他们建议进一步简化审批流程，让企业把更多精力放在研发上。"
    ),
]

_CHINESE_CHROME = {
    "cookie": "本网站使用Cookie以提升您的浏览体验，继续浏览即表示您同意我们使用Cookie。",
    "site": "城市日报网",
    "nav": "首页|国内|国际|财经|科技|体育|娱乐|视频",
    "crumbs": "首页 > 科技 > 正文",
    "byline": "2026-11-28 10:32 来源：城市日报 作者：李明",
    "share": "分享到：微信 微博 QQ空间",
    "related_title": "相关新闻",
    "related": "我市发布人工智能产业发展三年行动计划|高校科技成果转化率持续提升|"
    "多家企业入选国家级专精特新名单|科技馆新馆将于明年开放",
    "comments": "网友评论",
    "footer": (
        "版权所有 城市日报社 未经授权禁止转载 京ICP备00000000号 违法和不良信息举报电话：12345"
    ),
}

_BLOG_CHROME = {
    "cookie": "This site uses cookies from Google to deliver its services and to analyze traffic.",
    "site": "Notes on Business and Technology",
    "nav": "Home|Archive|Categories|About|Newsletter",
    "crumbs": "Blog › Case studies",
    "byline": "Posted by Anna on March 3, 2023 · 4 comments",
    "share": "Like this post? Share it with your friends and subscribe to the newsletter.",
    "related_title": "Recent posts",
    "related": "Why unicorns fail|Ten lessons from Chinese startups|"
    "Reading list for February|A short history of computer vision",
    "comments": "4 comments on this post",
    "footer": "Powered by WordPress · Theme by Example Themes · © 2023 Anna",
}


def interview_page() -> Page:
    """The seed interview (Chinese and English paragraphs) as a magazine's article page."""
    paragraphs = _paragraphs("001_80f9d8cd20d446c8.txt")
    title, body = paragraphs[1], paragraphs[2:]
    headings = {number for number, text in enumerate(body) if text.startswith("訪談摘錄")}
    page = _chrome("zh-Hant", title, _body(body, headings), _ENGLISH_CHROME)
    return Page("bilingual interview", page, [title, *body], _strings(_ENGLISH_CHROME))


def chinese_news_page() -> Page:
    title = "我市科技创新工作取得新进展"
    page = _chrome("zh-CN", title, _body(_CHINESE_NEWS, set()), _CHINESE_CHROME)
    return Page("Chinese news", page, [title, *_CHINESE_NEWS], _strings(_CHINESE_CHROME))


def english_blog_page() -> Page:
    """An English article (seed 002) as a blog post with its section titles as headings."""
    paragraphs = _paragraphs("002_70fbf5b58ec1f04f.txt")
    title, body = paragraphs[0], paragraphs[1:]
    headings = {number for number, text in enumerate(body) if len(text) < 40}
    page = _chrome("en", title, _body(body, headings), _BLOG_CHROME)
    return Page("English blog", page, [title, *body], _strings(_BLOG_CHROME))


def _strings(chrome: dict[str, str]) -> list[str]:
    return [part for value in chrome.values() for part in value.split("|")]


def _div_soup(page: Page) -> Page:
    """The same page as older portals write it: every landmark element a plain `div`."""
    soup = re.sub(r"<(/?)(header|nav|main|article|aside|footer|section)\b", r"<\1div", page.html)
    return Page(f"{page.name} (div soup)", soup, page.main, page.boilerplate)


def all_pages() -> list[Page]:
    pages = [interview_page(), chinese_news_page(), english_blog_page()]
    return [*pages, *(_div_soup(page) for page in pages)]
