"""Hand-written FAQ pages of Northmoor Chemicals B.V. and customer questions that each should find.

Each entry: (slug, title, text, [questions]). The questions deliberately use other words than the
page (customers write "where is my stuff", the page says "track your consignment")."""

FAQS = [
    ("order-tracking", "Tracking your order",
     "Every order confirmation carries an order reference of the form S followed by five digits, for example S00042. "
     "As soon as the consignment leaves our warehouse in Rotterdam you receive a dispatch notice with the carrier's tracking number. "
     "Parcels travel with DHL or DPD, palletised goods and dangerous goods with our contracted ADR haulier. "
     "You can follow the status of every order in the customer portal under My account > Orders, where you also find the delivery note and the proof of delivery once it is signed. "
     "If the tracking has not changed for two working days, or the expected delivery date has passed, reply to the dispatch notice or contact customer service with the order reference and we will chase the carrier for you.",
     [("Where is my order S00042? It was supposed to arrive yesterday.", "order"),
      ("Hi, our delivery hasn't shown up and I can't find any tracking info. Can you check what's going on?", "order"),
      ("How can I see where my shipment is right now?", "faq")]),
    ("delivery-times", "Delivery times",
     "Items shown as in stock leave our warehouse on the same working day when the order is placed before 14:00 CET, otherwise on the next working day. "
     "Parcels reach addresses in the Netherlands, Belgium and Luxembourg in one working day and in Germany and France in one to two working days; other EU countries take two to four working days. "
     "Pallets and IBCs are delivered by appointment within two to five working days. "
     "Products marked made to order, special grades and bulk tanker loads have the lead time stated in the quotation, usually one to three weeks. "
     "Deliveries are made Monday to Friday between 07:00 and 17:00; Saturday delivery is not available for dangerous goods.",
     [("How long does it take before I receive the goods if I order today?", "faq"),
      ("If I place an order this afternoon for Germany, when would it get here?", "faq")]),
    ("shipping-costs", "Shipping costs",
     "Shipping is charged by weight band and destination and is shown in the basket before you confirm the order. "
     "Within the Benelux a parcel up to 30 kg costs EUR 12.50 and a pallet EUR 85; Germany and France cost EUR 16.50 per parcel and EUR 120 per pallet. "
     "Orders above EUR 750 net to Benelux addresses ship free of charge for non-dangerous parcels. "
     "Dangerous goods carry a handling surcharge of EUR 18 per consignment because they travel under ADR with special documents. "
     "Tail-lift delivery for addresses without a loading dock costs EUR 35 extra per pallet.",
     [("What do you charge for delivery to Belgium?", "faq"),
      ("Is there a minimum to get free delivery?", "faq"),
      ("Why did I pay an extra 18 euros on my invoice for transport?", "vague")]),
    ("dangerous-goods-shipping", "Shipping dangerous goods",
     "Flammable liquids, corrosives, oxidisers and toxic substances are dangerous goods and travel by road under ADR with a transport document, orange plates where required and a trained driver. "
     "Small packs are often shipped as limited quantities, which keeps costs down. "
     "We cannot send dangerous goods by air, by post or to PO boxes, and shipments to islands depend on the ferry operator's rules. "
     "For export outside the EU by sea we prepare the IMDG declaration; allow five extra working days. "
     "Your order confirmation lists the UN number, class and packing group of every dangerous item.",
     [("Can you send flammable solvents by plane to our site in Iceland?", "faq"),
      ("Is it possible to get corrosive stuff delivered to a PO box?", "faq")]),
    ("returns", "Returns of unopened products",
     "Unopened products in their original, undamaged packaging can be returned within 14 days of delivery for a credit note, minus a restocking fee of 15% and the return freight. "
     "Ask customer service for a return authorisation number first; returns without one cannot be accepted at the warehouse. "
     "For safety and quality reasons we do not take back opened containers, goods that were stored by you for more than 14 days, made-to-order grades, or bulk deliveries in tankers. "
     "Dangerous goods must be collected by our haulier; please do not send them back through a parcel service yourself.",
     [("I ordered too much, can I send back two drums that we never opened?", "faq"),
      ("Do you take back products we don't need anymore and refund us?", "faq")]),
    ("damaged-goods", "Damaged or wrong deliveries and complaints",
     "Check every delivery when it arrives. Visible damage, leaking containers or missing packages must be noted on the carrier's delivery note before you sign it. "
     "Report damage, wrong products or quantity differences within 48 hours with the order reference and photos of the packaging and labels. "
     "We replace damaged or wrong goods free of charge or issue a credit note. "
     "Quality complaints about a product need the batch number printed on the label; we compare a retained sample from the same batch and answer within five working days. "
     "Do not use or dispose of a leaking container before talking to us; spill instructions are in section 6 of the safety data sheet.",
     [("One of the cans arrived dented and leaking, what should I do?", "faq"),
      ("You sent us the wrong product. How do we sort this out?", "faq"),
      ("I think the last batch you delivered is off-spec, who do I complain to?", "paraphrase")]),
    ("container-return", "Returning empty IBCs and drums",
     "Empty 1000 L IBCs and 200 L steel drums can be returned for reuse or reconditioning. "
     "We charge a deposit of EUR 95 per IBC and EUR 20 per drum on the invoice and refund it when the container comes back complete, empty, closed and undamaged within six months. "
     "Book a collection in the customer portal or with customer service once you have at least four IBCs or twelve drums; smaller numbers can go back with your next delivery. "
     "Containers that held dangerous goods must be returned with their labels intact and caps closed, as they are still regulated for transport until cleaned.",
     [("We have a bunch of empty totes from you in the yard. Do you pick them up and do we get money back?", "faq"),
      ("How do I get my deposit back for the steel barrels?", "faq")]),
    ("payment-methods", "Payment methods",
     "New customers pay in advance by bank transfer, iDEAL, Bancontact or credit card (Visa, Mastercard). "
     "Approved business customers can pay on account: invoices are due 30 days net from the invoice date, and SEPA direct debit is available. "
     "We do not accept cheques or cash at the warehouse. "
     "For prepayment orders the goods are reserved for seven days and dispatched as soon as the payment is received.",
     [("Can I pay with my company credit card?", "faq"),
      ("Do you take PayPal or is it only bank transfer?", "faq")]),
    ("payment-terms", "Payment terms and credit accounts",
     "Businesses registered in the EU can apply for a credit account with their VAT number and trade register extract. "
     "After a credit check we set a credit limit and invoices become due 30 days net. "
     "Overdue invoices are reminded after 7 and 21 days; after 30 days overdue, new orders are held until the balance is paid and statutory interest applies. "
     "If you need longer terms for a framework contract, ask your account manager.",
     [("How do we get an account so we can pay on invoice instead of upfront?", "faq"),
      ("Our order is on hold because of an unpaid bill, how do I release it?", "order")]),
    ("invoices", "Invoices and credit notes",
     "Invoices are sent as PDF by e-mail to the invoice address of your account on the day of dispatch, and they are available in the customer portal under My account > Invoices. "
     "We can also deliver them as UBL e-invoices or through Peppol; tell us your Peppol ID. "
     "To change the invoice e-mail address or the purchase order number shown on the invoice, contact customer service before the goods are dispatched. "
     "Credit notes for returns and complaints are issued within ten working days after the case is closed.",
     [("I can't find the bill for last month's delivery, can you resend it?", "order"),
      ("Can you send invoices via Peppol to our accounts payable system?", "faq")]),
    ("vat", "VAT and reverse charge",
     "Prices in the web shop are shown excluding VAT. Dutch customers pay 21% VAT. "
     "Business customers in other EU countries with a valid VAT number are invoiced without VAT under the intra-community reverse charge; we check the number in the VIES database. "
     "Exports outside the EU are zero-rated when we arrange the transport and hold the export declaration. "
     "Ethanol that is not denatured carries excise duty on top of VAT unless you provide a valid tax-exempt licence.",
     [("We are a company in Spain, do we have to pay Dutch tax on our order?", "faq"),
      ("Are the prices on your site with or without BTW?", "faq")]),
    ("customer-account", "Opening a customer account",
     "We sell to businesses, schools, laboratories and public bodies. "
     "Register in the web shop with your company name, VAT or chamber of commerce number and a delivery address; accounts are approved within one working day. "
     "Private persons can buy non-hazardous products such as glycerol, demineralised water or citric acid, but not substances that are restricted for consumers. "
     "Each account can have several users; the main user manages who may order and who sees invoices.",
     [("I'm a hobbyist soap maker, can I buy from you as a private person?", "faq"),
      ("How do I register my company so we can order online?", "faq")]),
    ("web-shop-login", "Logging in to the web shop",
     "Log in with the e-mail address of your user and your password. If you forgot the password, use Forgot password on the login page: the reset link is valid for one hour. "
     "After five failed attempts the user is locked for 15 minutes. "
     "If the reset e-mail does not arrive, check your spam folder and ask your IT department to allow mail from our domain. "
     "We never ask for your password by e-mail or phone.",
     [("I'm locked out of the shop and the password reset mail never came", "faq"),
      ("How can I change my login for the online store?", "faq")]),
    ("order-confirmation", "Order confirmation",
     "After you place an order you receive an automatic confirmation e-mail within a few minutes, with the order reference, the items, prices and the expected dispatch date. "
     "Orders placed by e-mail or phone are confirmed by our sales team within four working hours. "
     "If you did not receive a confirmation, check the spam folder and the order list in the customer portal before ordering again, to avoid a duplicate order.",
     [("I ordered this morning but got no email back, did the order go through?", "order"),
      ("Do you send a confirmation when I order by phone?", "faq")]),
    ("change-cancel-order", "Changing or cancelling an order",
     "Orders can be changed or cancelled free of charge until they are picked in the warehouse, normally until 14:00 on the day of dispatch. "
     "Use the order page in the customer portal or contact customer service with the order reference. "
     "Once an order has been handed to the carrier it can no longer be cancelled; it is then treated as a return. "
     "Made-to-order products and bulk tanker loads cannot be cancelled after production planning has started.",
     [("Can I still add two more cans to order S00187 before it ships?", "order"),
      ("We made a mistake and want to cancel what we ordered yesterday", "order")]),
    ("delivery-address", "Changing the delivery address",
     "You can add several delivery addresses to your account. "
     "A different delivery address for an order that has not yet been picked can be set by customer service. "
     "For addresses outside the EU, for building sites and for private addresses we need a contact person and a phone number for the driver. "
     "Dangerous goods can only be delivered to business addresses where someone can sign for them.",
     [("Can you ship to our other factory instead of head office this time?", "order"),
      ("We are moving warehouse next month, how do we update where you deliver?", "faq")]),
    ("partial-delivery", "Partial deliveries and backorders",
     "When part of an order is not in stock we ship what is available and send the rest as soon as it arrives, without extra shipping cost. "
     "The dispatch notice lists backordered lines with the expected date. "
     "If you prefer to receive everything in one delivery, tick Complete delivery only when ordering or tell customer service. "
     "On product pages you can ask to be notified by e-mail when an out-of-stock item is available again.",
     [("Only half my order arrived, where is the rest?", "order"),
      ("Can you let me know when the item that is sold out is back?", "faq")]),
    ("minimum-order", "Minimum order value",
     "The minimum order value is EUR 50 net. Orders below that are possible with a small order surcharge of EUR 15. "
     "Pallet and bulk prices apply from the quantities shown on each product page, for example from four drums or one IBC.",
     [("Is there a minimum amount I have to buy?", "faq")]),
    ("volume-discounts", "Volume prices and quotations",
     "Web shop prices are list prices for single packs. Volume prices apply automatically from a full pallet of the same product. "
     "For regular or larger quantities, multi-product pallets, tanker loads or framework contracts, ask for a quotation: our sales team replies within one working day. "
     "Quotations are valid for 30 days; prices of solvents and acids follow raw material markets and may change after that.",
     [("We need about 20 tonnes a year, can you give us a better price?", "faq"),
      ("How long is the price in your offer valid?", "faq")]),
    ("samples", "Samples",
     "We send free samples of up to 1 L or 1 kg of most products to business customers for qualification purposes. "
     "Samples of dangerous goods are shipped as limited or excepted quantities, which takes two to three working days longer. "
     "Request a sample in the web shop on the product page or through your account manager and mention the intended application.",
     [("Could we get a small amount to test in our lab before we buy a drum?", "faq")]),
    ("certificates-of-analysis", "Certificates of analysis",
     "Every batch we sell has a certificate of analysis (CoA) listing the measured values against the specification. "
     "CoAs can be downloaded in the customer portal by entering the batch number printed on the label, or they are e-mailed with the delivery if you ask for it once in your account settings. "
     "Certificates of conformity, food-grade statements and allergen statements are available on request.",
     [("Where can I download the analysis certificate for the batch we got?", "faq"),
      ("Can every delivery come with the CoA automatically?", "faq")]),
    ("safety-data-sheets", "Safety data sheets",
     "A safety data sheet (SDS) in the current REACH format is sent with the first delivery of every hazardous product and after every revision. "
     "SDS are available in English, Dutch, German and French in the customer portal and on each product page. "
     "Other EU languages can be supplied within five working days on request. "
     "Summaries of the key hazard information are also published on our knowledge pages.",
     [("I need the MSDS in German for our warehouse staff", "faq"),
      ("Where do I find safety sheets for the chemicals we buy?", "faq")]),
    ("reach-compliance", "REACH and regulatory compliance",
     "All substances we sell are registered under REACH by the manufacturer or importer, and we are a registered distributor. "
     "We pass on the information of the supply chain through safety data sheets and, where applicable, exposure scenarios. "
     "Ask us for statements about SVHC content, RoHS, TSCA listing or food contact, and we will provide what the manufacturer certifies.",
     [("Are your products registered under the EU chemicals regulation?", "faq"),
      ("Do any of your materials contain substances of very high concern?", "faq")]),
    ("explosives-precursors", "Restricted explosives precursors",
     "EU Regulation 2019/1148 restricts the sale of explosives precursors such as hydrogen peroxide above 12%, nitric acid above 3% and sulfuric acid above 15% to professional users. "
     "Before the first order of these products we need a signed customer statement on the specific use, and the order must come from a business account. "
     "We are required to report suspicious transactions, and we refuse sales to private persons.",
     [("Why do you need a signed form before selling us hydrogen peroxide?", "paraphrase"),
      ("Can a private person buy concentrated nitric acid from you?", "faq")]),
    ("excise-ethanol", "Excise duty on ethanol",
     "Undenatured ethanol, such as ethanol absolute, is subject to excise duty in the Netherlands unless it is delivered under an excise exemption. "
     "Holders of a tax-exempt licence for pharmaceutical, scientific or industrial use send us a copy of the licence and receive the goods duty-free. "
     "Denatured ethanol is duty-free for industrial use but may not be used in food, drinks or cosmetics that touch the mouth.",
     [("Why is pure alcohol so much more expensive than the denatured one?", "paraphrase"),
      ("We have a tax free permit for alcohol, how do we buy without duty?", "faq")]),
    ("food-grade", "Food-grade, kosher and halal products",
     "Products labelled food grade are produced and handled under a certified food safety system and meet the purity criteria of Regulation (EU) 231/2012 for food additives. "
     "Kosher and halal certificates are available for citric acid, glycerol, monopropylene glycol and sodium bicarbonate. "
     "Technical-grade products must not be used in food, feed or pharmaceuticals.",
     [("Is your citric acid certified halal?", "faq"),
      ("Can I use the technical grade glycerine in food products?", "paraphrase")]),
    ("custom-packaging", "Custom packaging and private label",
     "From one pallet upwards we can fill most liquids into other container sizes and print labels with your own brand. "
     "Private label requires that your label keeps the legally required CLP hazard information; our regulatory team checks the artwork. "
     "Lead time for custom packs is two to three weeks.",
     [("Can you fill your products into our own branded bottles?", "faq")]),
    ("pallet-delivery", "Pallet deliveries and unloading",
     "Pallets are delivered on a truck with a tail lift when you ask for it; otherwise the receiving site needs a forklift or a loading dock. "
     "The driver delivers to the kerbside or dock and does not carry goods inside. "
     "IBCs weigh up to 1.3 tonnes and need a forklift with at least 1.5 tonnes capacity. "
     "Euro pallets are not exchanged; they are included in the price.",
     [("We don't have a forklift, can the driver still unload a pallet?", "faq"),
      ("Does the lorry driver bring the drums into the building?", "faq")]),
    ("warehouse-collection", "Collecting orders from the warehouse",
     "You can collect orders at our warehouse in Rotterdam-Botlek on working days from 08:00 to 16:00 once you have received the ready-for-collection e-mail. "
     "Bring the order reference and a photo ID. Dangerous goods above the ADR exemption limits can only be loaded onto vehicles that meet ADR requirements; our staff will check your vehicle and the load securing.",
     [("Can I pick up my stuff myself instead of paying for delivery?", "faq"),
      ("What are your opening hours at the depot for self pick-up?", "faq")]),
    ("shelf-life", "Shelf life and storage",
     "The shelf life of each product is stated on the certificate of analysis, usually 24 to 60 months for solvents and acids in closed original packaging. "
     "Some products lose strength over time: sodium hypochlorite loses active chlorine, hydrogen peroxide slowly decomposes and AdBlue degrades when warm. "
     "Aqueous products can freeze; we ship them frost-protected from November to March on request. "
     "Storage conditions for each product are on the product page and in section 7 of the safety data sheet.",
     [("How long can I keep the drums before the product goes bad?", "faq"),
      ("Will your water-based stuff freeze in the truck in winter?", "vague")]),
    ("disposal", "Disposal of chemicals and waste",
     "We do not take back used chemicals or mixtures. Leftover products and contaminated containers must be disposed of through a licensed waste contractor, "
     "with the waste code from section 13 of the safety data sheet. "
     "Never pour solvents, acids or alkalis into the drain. We can recommend licensed waste contractors in the Netherlands and Belgium.",
     [("What do I do with half a can of old solvent I don't need?", "faq")]),
    ("emergency", "Emergency information",
     "In an emergency involving one of our products, call the 24-hour emergency number printed in section 1 of the safety data sheet: +31 10 555 0199. "
     "In case of poisoning, contact your national poison centre or emergency services (112) and show them the label or the safety data sheet. "
     "For spills in transport, the driver follows the instructions in writing carried under ADR.",
     [("Someone splashed a chemical from you in their eye, is there a phone line open at night?", "vague")]),
    ("contact", "Contact and opening hours",
     "Customer service is open Monday to Friday from 08:00 to 17:30 CET by phone on +31 10 555 0100 and by e-mail. "
     "Technical questions about applications and formulations are answered by our application chemists, usually within two working days. "
     "Our offices are closed on Dutch public holidays; the warehouse works with reduced staff between Christmas and New Year.",
     [("What time can I call you guys?", "faq"),
      ("Are you open between Christmas and New Year?", "faq")]),
    ("technical-support", "Technical and application advice",
     "Our application chemists help you choose the right product and grade, for example which solvent dissolves a given resin, which acid is suitable for descaling stainless steel, or how to dilute a concentrate. "
     "Describe the application, the materials involved and the quantities. "
     "Advice is given to the best of our knowledge without warranty; test products under your own conditions before use in production.",
     [("Which of your products would be best to remove glue residue from metal?", "vague"),
      ("Can someone help me pick the right cleaner for our production line?", "vague")]),
    ("price-changes", "Price changes",
     "Prices in the web shop can change weekly because many solvents and acids follow raw material markets. "
     "The price that applies is the one in your order confirmation. "
     "Framework contracts have fixed prices for the agreed period or a price formula linked to a published index.",
     [("Why is acetone more expensive than the last time I ordered?", "vague")]),
    ("export", "Exports outside the EU",
     "We export to the United Kingdom, Switzerland, Norway and overseas. "
     "Exports need an EORI number of the consignee, the intended use and, for dual-use and precursor chemicals, an end-user statement or export licence. "
     "We quote exports on request, with the Incoterms that suit you (usually FCA Rotterdam or CPT).",
     [("Can you ship to the UK after Brexit and what paperwork is needed?", "faq")]),
    ("limited-quantities", "Limited quantities and small packs",
     "Dangerous goods in small inner packagings, such as 1 L bottles in a carton, can be shipped as limited quantities under ADR chapter 3.4. "
     "Such parcels carry a diamond-shaped LQ mark instead of danger labels, can travel with normal parcel carriers within limits and cost less to ship. "
     "Toxic substances of class 6.1 packing group I and some oxidisers are excluded.",
     [("Why do the small bottles come by normal parcel but the big drums on a special truck?", "paraphrase")]),
    ("quality-management", "Quality management and audits",
     "Northmoor Chemicals is certified to ISO 9001 and ISO 14001, and our food-grade warehouse to FSSC 22000. "
     "We assess every supplier and keep retained samples of each batch for two years. "
     "Customers can audit us after agreeing a date with our quality manager.",
     [("Are you ISO certified?", "faq")]),
    ("newsletter", "Newsletter and price alerts",
     "Subscribe to our monthly newsletter for market updates on solvents and acids, new products and changes in regulations. "
     "Price alerts for individual products can be set in the customer portal. You can unsubscribe at any time with the link in every e-mail.",
     [("How do I stop getting your marketing emails?", "faq")]),
    ("sds-updates", "Revisions of safety data sheets",
     "When a safety data sheet is revised, for example after a new classification, we send the new version to every customer who bought the product in the last twelve months. "
     "The revision date and the changed sections are listed in section 16. "
     "Make sure the e-mail address for SDS updates in your account is a shared mailbox that is read.",
     [("Will you tell us when the hazard info of a product changes?", "faq")]),
]
