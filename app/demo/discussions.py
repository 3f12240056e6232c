"""The demo discussions: each article's threaded comments and how their writers voted.

A thread is (username, text, replies), replies being threads again. Votes name option
positions in the article's poll (a tuple for multiple-choice polls).
"""

DISCUSSIONS = {
    "would-you-friend-your-therapist-on-facebook": {
        "votes": {
            "quiet_harbor": 2,
            "maple_and_tea": 1,
            "lanternlight": 1,
            "counselor_ines": 2,
            "rivera_lcsw": 2,
            "coach_dana": 3,
            "small_town_sam": 3,
            "ethics_student": 1,
            "okafor_psyd": 2,
        },
        "threads": [
            (
                "quiet_harbor",
                "I did send a request once, years ago. My counselor brought it up gently in "
                "the next session and explained why she couldn't accept. At the time I felt "
                "embarrassed, but looking back it was one of the kindest things she did: it "
                "showed me the relationship had rules that protected *me*.",
                [
                    (
                        "counselor_ines",
                        "Thank you for sharing this. It is exactly the outcome we hope for. "
                        "Declining is so much easier when the policy was in the paperwork "
                        "from day one, because then it isn't about the person.",
                        [
                            (
                                "trainee_marcus",
                                "As a trainee I'm stealing this. Is it usually in the "
                                "informed consent itself, or a separate social media policy?",
                                [
                                    (
                                        "counselor_ines",
                                        "Ours is one paragraph in the informed consent, "
                                        "plus a one-page social media policy clients can "
                                        "take home. Keep it short enough that people "
                                        "actually read it.",
                                        [],
                                    ),
                                ],
                            ),
                        ],
                    ),
                    (
                        "lanternlight",
                        "Same thing happened to me and I was mortified for weeks. I wish "
                        "she had told me at the start so I never had to find out that way.",
                        [],
                    ),
                ],
            ),
            (
                "small_town_sam",
                "In my town of 900 people my therapist is also my kid's soccer coach. We "
                "are already connected in ten ways. A friend request feels like the least of "
                "it, honestly. The city rules don't map onto rural life.",
                [
                    (
                        "rural_beth",
                        "I practise in a county like yours and I agree the overlap is "
                        "unavoidable. I still keep social media separate, though, precisely "
                        "*because* everything else overlaps. It is one of the few boundaries "
                        "I can actually control.",
                        [
                            (
                                "small_town_sam",
                                "That's a fair point. I hadn't thought of it as the one "
                                "place you get to draw the line.",
                                [],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "coach_dana",
                "Coaching is a grey area here. Many of my clients find me through LinkedIn in "
                "the first place. I connect on LinkedIn but not on personal accounts, and I "
                "never comment on a client's posts.",
                [
                    (
                        "okafor_psyd",
                        "That distinction makes sense for coaching. For psychotherapy I'd "
                        "still be cautious with LinkedIn: the connection itself is visible, "
                        "and a colleague of the client might wonder how we know each other.",
                        [],
                    ),
                ],
            ),
            (
                "maple_and_tea",
                "After therapy ended I think it should be the client's call. Two years after "
                "we finished I'd honestly like to know how my old therapist is doing.",
                [
                    (
                        "rivera_lcsw",
                        "I understand the wish, and it says something lovely about the work "
                        "you did together. The reason many of us still decline is that "
                        "clients often come back, and a friendship in between can make "
                        "returning harder.",
                        [
                            (
                                "maple_and_tea",
                                "I hadn't thought about going back. That does change things a bit.",
                                [],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "ethics_student",
                "The dinner-party test in the article is going straight into my notes. It "
                "makes an abstract principle feel very concrete.",
                [],
            ),
        ],
    },
    "should-your-therapist-google-you": {
        "votes": {
            "second_chapter": (0, 4),
            "northwind_j": (0,),
            "okafor_psyd": (1, 4),
            "anand_md": (1,),
            "hollis_mft": (0, 1),
            "curious_reader": (1, 2),
            "trainee_marcus": (0, 1),
        },
        "threads": [
            (
                "second_chapter",
                "I found out my previous therapist had read an old news story about me. "
                "She never said so; I only realised when she mentioned a detail I had never "
                "told her. It took me months to trust anyone again. If you look, please say so.",
                [
                    (
                        "hollis_mft",
                        "I'm sorry that happened. Transparency is the bare minimum. The "
                        "detail slipping out is exactly the risk the article describes: "
                        "once you know something, it leaks into the room.",
                        [
                            (
                                "second_chapter",
                                "Thank you. My current therapist has a written policy and "
                                "it made a real difference to me to read it.",
                                [],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "anand_md",
                "In inpatient psychiatry a search is sometimes part of a risk assessment, for "
                "instance when someone arrives without identification. It is documented and "
                "discussed with the patient afterwards. Outpatient work is very different.",
                [
                    (
                        "okafor_psyd",
                        "Agreed. Safety can justify it, but curiosity can't. I find it "
                        "helps to ask: would I be comfortable telling the client I did this, "
                        "and why?",
                        [
                            (
                                "curious_reader",
                                "That seems like a good test for a lot of things in life, "
                                "not just therapy.",
                                [],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "northwind_j",
                "Honestly I assume everyone googles everyone now. What bothers me more is the "
                "idea of my therapist reading my old forum posts from when I was seventeen.",
                [
                    (
                        "trainee_marcus",
                        "Speaking as someone training now: our program explicitly teaches us "
                        "not to. It surprised me how many classmates had assumed it was "
                        "normal before that lecture.",
                        [],
                    ),
                ],
            ),
            (
                "coach_dana",
                "Coaches rarely get guidance on this. I've started asking new clients at "
                "intake whether they're comfortable with me reading their public professional "
                "profile. Most say yes, some say no, and both answers are useful.",
                [],
            ),
        ],
    },
    "is-it-okay-to-hug-your-therapist": {
        "votes": {
            "lanternlight": 0,
            "paper_boats": 1,
            "hollis_mft": 3,
            "rivera_lcsw": 1,
            "okafor_psyd": 2,
            "quiet_harbor": 0,
            "counselor_ines": 1,
        },
        "threads": [
            (
                "lanternlight",
                "At my last session I asked if I could hug my therapist and she said yes. It "
                "was brief and it meant the world. After years of feeling like a problem to be "
                "solved, it felt like being seen as a person.",
                [
                    (
                        "hollis_mft",
                        "That's the heart of it for me: *you* asked, at the end, after years "
                        "of work. That context matters far more than any rule.",
                        [],
                    ),
                    (
                        "paper_boats",
                        "I'm glad it went well for you. For me a hug from a therapist would "
                        "have been too much. I think that's why the therapist should never "
                        "be the one to start it.",
                        [
                            (
                                "lanternlight",
                                "Completely agree with that. It has to come from the client.",
                                [],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "okafor_psyd",
                "I don't hug clients, and I say so warmly when someone asks. I have had "
                "clients tell me years later that my saying no, and explaining why, was the "
                "first time a boundary was held kindly for them.",
                [
                    (
                        "quiet_harbor",
                        "I can see how that could be healing too. There isn't one right "
                        "answer, is there?",
                        [
                            (
                                "okafor_psyd",
                                "I don't think there is. What matters most is talking about "
                                "it rather than improvising at the door.",
                                [],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "rivera_lcsw",
                "In family work with children, touch comes up constantly: a child climbs "
                "into your lap, or grabs your hand in the waiting room. We talk with parents "
                "about it at intake so nobody is surprised.",
                [],
            ),
            (
                "ethics_student",
                "Interesting that the poll hides results until it closes. I'd have been "
                "tempted to go with the majority otherwise.",
                [],
            ),
        ],
    },
    "accepting-gifts-from-clients": {
        "votes": {
            "maple_and_tea": (0, 1, 2),
            "small_town_sam": (0, 1),
            "rural_beth": (0, 1),
            "rivera_lcsw": (0,),
            "anand_md": (0,),
            "paper_boats": (0, 2),
        },
        "threads": [
            (
                "maple_and_tea",
                "Where I grew up, you bring food to anyone who has helped your family. When "
                "my therapist accepted a tin of cookies at our last session I felt like she "
                "respected where I come from.",
                [
                    (
                        "rural_beth",
                        "This is so important. I've learned to accept food graciously and "
                        "share it with the office. Refusing would say something I don't mean "
                        "at all.",
                        [
                            (
                                "rivera_lcsw",
                                "Same here. We note it in the record and that's it. The only "
                                "time I'd explore it further is if it became a weekly thing.",
                                [],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "anand_md",
                "In psychiatry we also have pharmaceutical gift rules, which makes me extra "
                "cautious. I accept cards. Anything else I thank the person for and decline.",
                [
                    (
                        "paper_boats",
                        "I once had a small book I'd chosen carefully declined by a "
                        "psychiatrist. I understood the reason, but it stung. Maybe a card "
                        "would have been better.",
                        [
                            (
                                "anand_md",
                                "Thank you for saying that. It's a good reminder that how we "
                                "decline matters as much as whether we do.",
                                [],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "small_town_sam",
                "What about a client who offers a service instead of a gift? Fixing a fence, "
                "say. That's where it gets really murky in a small place.",
                [
                    (
                        "counselor_ines",
                        "That's bartering, and most codes treat it as a separate and "
                        "riskier question than gifts. It creates an ongoing second "
                        "relationship. I'd want a colleague's opinion before agreeing.",
                        [],
                    ),
                ],
            ),
        ],
    },
    "running-into-your-therapist-at-the-grocery-store": {
        "votes": {
            "small_town_sam": 0,
            "northwind_j": 1,
            "rural_beth": 1,
            "counselor_ines": 1,
            "second_chapter": 3,
            "curious_reader": 0,
            "trainee_marcus": 1,
        },
        "threads": [
            (
                "northwind_j",
                "I saw my therapist at a concert once and panicked and hid behind a pillar. "
                "We laughed about it in the next session, and it actually helped me talk about "
                "how much I worry about being seen.",
                [
                    (
                        "counselor_ines",
                        "What a great example of bringing it back into the room. The awkward "
                        "moment became part of the work.",
                        [],
                    ),
                ],
            ),
            (
                "rural_beth",
                "Small-town counselor here. I tell every client at intake: I won't greet you "
                "first, but I will always say hello back. In ten years nobody has minded, and "
                "a few have thanked me for saying it out loud.",
                [
                    (
                        "small_town_sam",
                        "My counselor does exactly this and it works. Though at the only "
                        "petrol station in town, pretending not to see each other would be "
                        "comical.",
                        [
                            (
                                "rural_beth",
                                "Ha, yes. A nod at the pump is about the right amount of contact.",
                                [],
                            ),
                        ],
                    ),
                    (
                        "trainee_marcus",
                        "Do you ever find clients feel hurt that you didn't greet them "
                        "first, even after you've explained it?",
                        [
                            (
                                "rural_beth",
                                "Occasionally, yes. That's when it helps to talk about it "
                                "at the next session rather than assume it's settled.",
                                [],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "second_chapter",
                "I'd rather we both talk about it afterwards than have any hello at all. Even "
                "a nod would make me anxious about who was watching.",
                [],
            ),
        ],
    },
    "texting-between-sessions": {
        "votes": {
            "lanternlight": 2,
            "paper_boats": 1,
            "okafor_psyd": 1,
            "hollis_mft": 2,
            "coach_dana": 0,
            "quiet_harbor": 1,
        },
        "threads": [
            (
                "hollis_mft",
                "I use a secure messaging app for scheduling only, with replies within one "
                "working day. The written policy has saved me more than once when a message "
                "arrived late at night.",
                [
                    (
                        "lanternlight",
                        "As a client, knowing the reply time in advance helps a lot. "
                        "Silence feels very different when you know it's just the policy.",
                        [],
                    ),
                ],
            ),
            (
                "coach_dana",
                "In coaching, short check-ins between sessions are often part of what clients "
                "pay for. I set clear hours, though, and I don't reply on weekends.",
                [
                    (
                        "okafor_psyd",
                        "That's an interesting contrast with therapy. I think the risk is "
                        "less the texting itself than being unclear about what it's for.",
                        [
                            (
                                "coach_dana",
                                "Agreed. Clarity up front is everything.",
                                [],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "paper_boats",
                "The lock-screen point hit home. My partner saw a preview from my therapist "
                "once and I had to explain something I wasn't ready to. Please keep messages "
                "boring!",
                [],
            ),
        ],
    },
}
