"""The demo's site pages (privacy notice, accessibility statement, cookies, contact), as editors would write them."""

from django.conf import settings


def site_pages():
    """{url: (title, HTML)} for the footer's pages; the text follows the current settings."""
    name = settings.SITE_NAME
    site = settings.SITE_URL
    retention = settings.CONTACTS_ENQUIRY_RETENTION_DAYS
    confirm_days = settings.MAILINGLIST_CONFIRM_DAYS
    return {
        "/privacy/": ("Privacy notice", _privacy(name, retention, confirm_days)),
        "/accessibility/": (f"Accessibility statement for {name}", _accessibility(name, site)),
        "/cookies/": ("Cookies", _cookies(name)),
        "/contact/": ("Contact us", _contact(name)),
    }


def _privacy(name, retention, confirm_days):
    return f"""
<p>This notice explains what {name} collects through this website, why, how long we keep
it and how to have it erased.</p>
<h2>Reading the site</h2>
<p>You can read every page without telling us who you are. We do not use analytics or
advertising trackers. Our servers see your IP address with each request; it is used only
to limit abuse (for example, how many messages one address may send in an hour) and
those counts expire within a day.</p>
<p>We count, for each day, how many times each page of ours is read, how many times each
report is downloaded (and in which file format), how many searches are made, and the words
of searches that found nothing (words that look like an email address or a phone number are
not kept). A page is counted by a small request our own script sends after it has loaded,
naming the page and only the name of the website you came from (for example a search
engine), never the address of the page there; if your browser runs no scripts, by a tiny
invisible image from our own site that names the page only. These are totals only: nothing in them says who you are, no
cookie is used and no address is kept with them. They tell us what readers need.</p>
<h2>Joining the mailing list</h2>
<p>We collect your email address, the areas of interest you choose, how often you want
emails, and the consent wording you agreed to with the time you agreed. We use them only
to send you the emails you asked for. Our lawful basis is your consent.</p>
<ul>
<li>If you do not confirm your address within {confirm_days} days, we delete it.</li>
<li>Once confirmed, we keep your details until you unsubscribe. Every email has a link to
change your choices or unsubscribe in one click.</li>
</ul>
<h2>Sending a message to one of our contacts</h2>
<p>We collect your name, email address, organisation (if you give one), subject and
message, and pass them to the person you wrote to so that they can reply. Our lawful
basis is our legitimate interest in answering enquiries. We delete delivered messages
after {retention} days.</p>
<h2>Having your data erased</h2>
<p>To have your mailing-list details or a message you sent erased, or to ask what we hold
about you, write to us through the <a href="/contact/">contact page</a>. We will answer
within one month. You can also complain to the Information Commissioner's Office
(<a href="https://ico.org.uk/">ico.org.uk</a>).</p>
"""


def _accessibility(name, site):
    # The structure of GOV.UK's model accessibility statement, section by section.
    return f"""
<p>This accessibility statement applies to {site}.</p>
<p>This website is run by {name}. We want as many people as possible to be able to use
this website. For example, that means you should be able to:</p>
<ul>
<li>change colours, contrast levels and fonts using browser or device settings</li>
<li>zoom in up to 400% without the text spilling off the screen</li>
<li>navigate most of the website using a keyboard or speech recognition software</li>
<li>listen to most of the website using a screen reader</li>
</ul>
<p>We've also made the website text as simple as possible to understand.</p>
<p><a href="https://mcmw.abilitynet.org.uk/">AbilityNet</a> has advice on making your
device easier to use if you have a disability.</p>
<h2>How accessible this website is</h2>
<p>We know some parts of this website are not fully accessible:</p>
<ul>
<li>many reports are PDF documents, which are not fully accessible to screen reader
software</li>
<li>some older news posts may have images without a useful text alternative</li>
</ul>
<h2>Feedback and contact information</h2>
<p>If you need information on this website in a different format, like accessible PDF,
large print, easy read, audio recording or braille, use "Request an accessible format"
beside the report, or write to us through the <a href="/contact/">contact page</a>.
We'll consider your request and get back to you in 5 working days.</p>
<h2>Reporting accessibility problems with this website</h2>
<p>We're always looking to improve the accessibility of this website. If you find any
problems not listed on this page or think we're not meeting accessibility requirements,
contact us through the <a href="/contact/">contact page</a>.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public
Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018
(the 'accessibility regulations'). If you're not happy with how we respond to your
complaint, contact the
<a href="https://www.equalityadvisoryservice.com/">Equality Advisory and Support Service
(EASS)</a>.</p>
<h2>Technical information about this website's accessibility</h2>
<p>{name} is committed to making its website accessible, in accordance with the Public
Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations
2018.</p>
<h3>Compliance status</h3>
<p>This website is partially compliant with the
<a href="https://www.w3.org/TR/WCAG22/">Web Content Accessibility Guidelines version 2.2</a>
AA standard, due to the non-compliances listed below.</p>
<h2>Non-accessible content</h2>
<p>The content listed below is non-accessible for the following reasons.</p>
<h3>Non-compliance with the accessibility regulations</h3>
<p>Some PDF reports are not tagged for screen readers. This fails WCAG 2.2 success
criterion 1.3.1 (info and relationships). We are replacing them with accessible versions
as reports are revised.</p>
<h3>Disproportionate burden</h3>
<p>We are not currently claiming that any accessibility problems would be a
disproportionate burden to fix.</p>
<h3>Content that's not within the scope of the accessibility regulations</h3>
<p>PDFs and other documents published before 23 September 2018 that are not essential to
providing our services are not within scope.</p>
<h2>What we're doing to improve accessibility</h2>
<p>Every page is checked automatically with axe-core and the Nu HTML Checker before each
release, and tested by keyboard and on a small phone screen.</p>
<h2>Preparation of this accessibility statement</h2>
<p>This statement was prepared on 14 October 2021. It was last reviewed on
29 November 2026.</p>
<p>This website was last tested on 29 November 2026 against the WCAG 2.2 AA standard. The
test was carried out by {name}, using automated checks of every page type and manual
testing with a keyboard and a screen reader.</p>
"""


def _cookies(name):
    return f"""
<p>Cookies are small files saved on your phone, tablet or computer when you visit a
website.</p>
<h2>What this website sets</h2>
<p>{name} uses no analytics, advertising or social media cookies, and the share links on
articles are plain links: no other site's script is loaded. The daily totals we keep of
page views, downloads and searches (see the privacy notice) need no cookie.</p>
<p>Reading the site and sending its forms (the mailing-list sign-up and preferences, and
the message form on a contact's page) set no cookie at all: the forms are protected by what your browser says
about where a form was sent from, not by a cookie. After confirming your email address or
saving your mailing-list choices you may briefly get a "messages" cookie, strictly
necessary, that carries the notice to the next page; it is deleted as soon as the notice is
shown.</p>
<p>Strictly necessary cookies do not need your consent, so we do not ask for it.</p>
<h2>Editors</h2>
<p>Staff who sign in to edit the website get a session cookie; readers never do.</p>
"""


def _contact(name):
    return f"""
<p>Each area of {name}'s work has named leads who are happy to hear from you: find the
right person in our <a href="/contacts/">contacts directory</a> and send them a message
from their page.</p>
<h2>Accessible formats</h2>
<p>If you need a report in another format, use "Request an accessible format" beside
it: it names the person who can help.</p>
<h2>Your data</h2>
<p>To ask what we hold about you, or to have it erased, send a message to any named
contact and say so: see our <a href="/privacy/">privacy notice</a>.</p>
<h2>News by email</h2>
<p>Join the <a href="/mailing-list/">mailing list</a> and choose your areas of
interest.</p>
"""
